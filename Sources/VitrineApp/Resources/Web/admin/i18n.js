// UI text in English and French. The language comes from the browser (fr* → French) unless chosen
// in the header; the choice is kept in localStorage. Each entry is [English, Français] on one line,
// so a missing translation is easy to spot. This module is longer than the others because it is
// mostly that table; splitting the table by page would scatter the translators' work.

const STORAGE_KEY = 'vitrine.lang';
const CODES = ['en', 'fr'];

/** Languages offered by the selector: [code, name in that language]. */
export const LANGUAGES = [['fr', 'Français'], ['en', 'English']];

const TEXT = {
  'app.loading': ['Loading…', 'Chargement…'],
  'app.no_brand': ['This brand is not one of yours, or it does not exist.', 'Cette marque n’est pas l’une des vôtres, ou elle n’existe pas.'],
  'app.forbidden': ['Your role in this brand does not allow this page.', 'Votre rôle dans cette marque ne donne pas accès à cette page.'],
  'app.brand_unavailable': ['The brand settings could not be loaded.', 'Les réglages de la marque n’ont pas pu être chargés.'],

  'nav.skip': ['Skip to content', 'Aller au contenu'],
  'nav.main': ['Main', 'Principale'],
  'nav.brand': ['Brand', 'Marque'],
  'nav.language': ['Language', 'Langue'],
  'nav.logout': ['Log out', 'Se déconnecter'],
  'nav.products': ['Products', 'Produits'],
  'nav.import': ['Import', 'Import'],
  'nav.team': ['Team', 'Équipe'],
  'nav.tokens': ['API tokens', 'Jetons d’API'],
  'nav.settings': ['Settings', 'Réglages'],

  'title.login': ['Log in', 'Connexion'],
  'title.account': ['My account', 'Mon compte'],
  'title.products': ['Products', 'Produits'],
  'title.product': ['Product', 'Produit'],
  'title.product_new': ['New product', 'Nouveau produit'],
  'title.import': ['Import a catalog', 'Importer un catalogue'],
  'title.team': ['Team', 'Équipe'],
  'title.tokens': ['API tokens', 'Jetons d’API'],
  'title.settings': ['Brand settings', 'Réglages de la marque'],

  'role.owner': ['Owner', 'Propriétaire'],
  'role.admin': ['Admin', 'Administrateur'],
  'role.producer': ['Producer', 'Producteur'],
  'role.host': ['Host', 'Animateur'],
  'role.moderator': ['Moderator', 'Modérateur'],
  'status.active': ['Active', 'Actif'],
  'status.draft': ['Draft', 'Brouillon'],
  'status.archived': ['Archived', 'Archivé'],
  'policy.deny': ['Stop selling', 'Ne plus vendre'],
  'policy.continue': ['Keep selling', 'Continuer à vendre'],
  'policy.not_tracked': ['Stock not tracked', 'Stock non suivi'],
  'language.fr': ['French', 'Français'],
  'language.en': ['English', 'Anglais'],
  'language.de': ['German', 'Allemand'],
  'language.es': ['Spanish', 'Espagnol'],
  'language.it': ['Italian', 'Italien'],
  'language.nl': ['Dutch', 'Néerlandais'],
  'language.pt': ['Portuguese', 'Portugais'],

  'field.email': ['E-mail', 'E-mail'],
  'field.password': ['Password', 'Mot de passe'],
  'field.name': ['Name', 'Nom'],
  'field.role': ['Role', 'Rôle'],
  'field.title': ['Title', 'Titre'],
  'field.handle': ['Handle', 'Identifiant (handle)'],
  'field.status': ['Status', 'Statut'],
  'field.vendor': ['Vendor', 'Marque / fabricant'],
  'field.product_type': ['Type', 'Type'],
  'field.tags': ['Tags', 'Étiquettes'],
  'field.vat_rate': ['VAT rate (%)', 'Taux de TVA (%)'],
  'field.description': ['Description', 'Description'],

  'form.required': ['This field is required.', 'Ce champ est obligatoire.'],
  'form.fix_field': ['Please correct the highlighted field.', 'Veuillez corriger le champ signalé.'],
  'form.money_invalid': ['Enter an amount such as 24.90.', 'Saisissez un montant comme 24,90.'],
  'form.percent_invalid': ['Enter a rate from 0 to 100, such as 20 or 5.5.', 'Saisissez un taux de 0 à 100, comme 20 ou 5,5.'],
  'form.integer_invalid': ['Enter a whole number.', 'Saisissez un nombre entier.'],
  'password.hint': ['At least {n} characters.', 'Au moins {n} caractères.'],
  'password.too_short': ['The password needs at least {n} characters.', 'Le mot de passe doit avoir au moins {n} caractères.'],
  'password.mismatch': ['The two passwords differ.', 'Les deux mots de passe diffèrent.'],

  'error.network_error': ['The server could not be reached. Check your connection and try again.', 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.'],
  'error.invalid_credentials': ['Wrong e-mail or password.', 'E-mail ou mot de passe incorrect.'],
  'error.too_many_attempts': ['Too many attempts. Wait a few minutes and try again.', 'Trop de tentatives. Patientez quelques minutes puis réessayez.'],
  'error.unauthenticated': ['Your session has ended. Please log in again.', 'Votre session a expiré. Veuillez vous reconnecter.'],
  'error.forbidden': ['Your role does not allow this.', 'Votre rôle ne le permet pas.'],
  'error.not_found': ['Not found: it may have been deleted.', 'Introuvable : l’élément a peut-être été supprimé.'],
  'error.csrf_token_missing': ['Your session needs refreshing: reload the page.', 'Votre session doit être actualisée : rechargez la page.'],
  'error.csrf_token_invalid': ['Your session needs refreshing: reload the page.', 'Votre session doit être actualisée : rechargez la page.'],
  'error.body_too_large': ['This is too large for the server.', 'C’est trop volumineux pour le serveur.'],
  'error.last_owner': ['A brand keeps at least one owner.', 'Une marque garde au moins un propriétaire.'],
  'error.last_variant': ['A product keeps at least one variant.', 'Un produit garde au moins une variante.'],
  'error.wrong_password': ['The current password is wrong.', 'Le mot de passe actuel est incorrect.'],
  'error.server': ['The server had a problem ({status}). Try again in a moment.', 'Le serveur a rencontré un problème ({status}). Réessayez dans un instant.'],
  'error.unknown': ['Something went wrong.', 'Une erreur est survenue.'],

  'login.title': ['Log in to Vitrine', 'Connexion à Vitrine'],
  'login.submit': ['Log in', 'Se connecter'],
  'login.missing': ['Enter your e-mail and password.', 'Saisissez votre e-mail et votre mot de passe.'],
  'login.wait': ['Too many attempts. Try again in {minutes} min.', 'Trop de tentatives. Réessayez dans {minutes} min.'],

  'products.search': ['Search (title, handle, SKU, vendor, tag)', 'Rechercher (titre, handle, SKU, marque, étiquette)'],
  'products.all_statuses': ['All statuses', 'Tous les statuts'],
  'products.new': ['New product', 'Nouveau produit'],
  'products.count': [{ one: '{count} product', other: '{count} products' }, { one: '{count} produit', other: '{count} produits' }],
  'products.none': ['No products yet: import a CSV or create one.', 'Aucun produit pour l’instant : importez un CSV ou créez-en un.'],
  'products.none_match': ['No products match.', 'Aucun produit ne correspond.'],
  'products.image': ['Image', 'Image'],
  'products.variants': ['Variants', 'Variantes'],
  'products.price': ['Price', 'Prix'],
  'products.stock': ['Stock', 'Stock'],
  'products.not_tracked': ['not tracked', 'non suivi'],
  'paging.label': ['Pages', 'Pages'],
  'paging.previous': ['Previous', 'Précédente'],
  'paging.next': ['Next', 'Suivante'],
  'paging.info': ['Page {page} of {pages}', 'Page {page} sur {pages}'],
  'paging.per_page': ['Per page', 'Par page'],

  'product.back': ['← All products', '← Tous les produits'],
  'product.general': ['General', 'Général'],
  'product.handle_hint': ['Lower-case letters, digits and dashes; used in the product’s address.', 'Minuscules, chiffres et tirets ; utilisé dans l’adresse du produit.'],
  'product.handle_hint_new': ['Leave empty to make one from the title.', 'Laissez vide pour le déduire du titre.'],
  'product.tags_hint': ['Separated by commas.', 'Séparées par des virgules.'],
  'product.vat_hint': ['In percent: 20 for 20 %, 5.5 for 5.5 %.', 'En pourcentage : 20 pour 20 %, 5,5 pour 5,5 %.'],
  'product.description_html': ['Description (HTML)', 'Description (HTML)'],
  'product.description_hint': ['Paragraphs, lists, bold, italic, headings and links are kept; anything else is removed when saved.', 'Paragraphes, listes, gras, italique, titres et liens sont conservés ; le reste est retiré à l’enregistrement.'],
  'product.preview': ['Preview', 'Aperçu'],
  'product.options': ['Options', 'Options'],
  'product.options_hint': ['You can rename the options; their number is fixed once the product exists.', 'Vous pouvez renommer les options ; leur nombre est fixé une fois le produit créé.'],
  'product.options_hint_new': ['Up to three options, such as Colour or Size; each variant gives a value for each.', 'Jusqu’à trois options, comme Couleur ou Taille ; chaque variante a une valeur pour chacune.'],
  'product.option_n': ['Option {n}', 'Option {n}'],
  'product.save': ['Save', 'Enregistrer'],
  'product.create': ['Create the product', 'Créer le produit'],
  'product.saved': ['Saved.', 'Enregistré.'],
  'product.created': ['Product created.', 'Produit créé.'],
  'product.archive': ['Archive', 'Archiver'],
  'product.archive_confirm': ['Archive “{title}”? It will no longer be shown to buyers. Unsaved changes are lost.', 'Archiver « {title} » ? Il ne sera plus visible des acheteurs. Les modifications non enregistrées seront perdues.'],
  'product.archived': ['Product archived.', 'Produit archivé.'],
  'product.read_only': ['Your role can view the catalog but not change it.', 'Votre rôle permet de consulter le catalogue, pas de le modifier.'],
  'images.title': ['Images', 'Images'],
  'images.add': ['Add an image', 'Ajouter une image'],
  'images.none': ['No images.', 'Aucune image.'],
  'images.url_n': ['Image {n}: URL', 'Image {n} : URL'],
  'images.alt': ['Alternative text', 'Texte alternatif'],
  'images.up': ['Move image {n} up', 'Monter l’image {n}'],
  'images.down': ['Move image {n} down', 'Descendre l’image {n}'],
  'images.remove': ['Remove', 'Retirer'],
  'images.remove_n': ['Remove image {n}', 'Retirer l’image {n}'],
  'variants.title': ['Variants', 'Variantes'],
  'variants.add': ['Add a variant', 'Ajouter une variante'],
  'variants.delete': ['Delete', 'Supprimer'],
  'variants.delete_n': ['Delete variant {n}', 'Supprimer la variante {n}'],
  'variants.row': ['variant {n}', 'variante {n}'],
  'variants.actions': ['Actions', 'Actions'],
  'variants.sku': ['SKU', 'SKU'],
  'variants.price': ['Price ({currency})', 'Prix ({currency})'],
  'variants.compareAtPrice': ['Compare-at price ({currency})', 'Prix barré ({currency})'],
  'variants.barcode': ['Barcode', 'Code-barres'],
  'variants.inventoryPolicy': ['When out of stock', 'En rupture'],
  'variants.inventoryQuantity': ['Quantity', 'Quantité'],
  'variants.failed': ['Variant {n} was not saved: {message}', 'La variante {n} n’a pas été enregistrée : {message}'],

  'import.intro': ['Import a product CSV exported from Shopify (comma-separated, UTF-8). Products are matched by handle: existing ones are updated.', 'Importez un CSV de produits exporté de Shopify (séparé par des virgules, UTF-8). Les produits sont reconnus par leur handle : ceux qui existent sont mis à jour.'],
  'import.file': ['CSV file', 'Fichier CSV'],
  'import.file_hint': ['Up to 20 MiB. Image paths must be http(s) URLs.', 'Jusqu’à 20 Mio. Les images doivent être des URL http(s).'],
  'import.strict': ['Strict: import nothing if any row is rejected', 'Strict : ne rien importer si une ligne est rejetée'],
  'import.strict_hint': ['Without it, valid products are imported and rejected rows are listed.', 'Sinon, les produits valides sont importés et les lignes rejetées sont listées.'],
  'import.submit': ['Import', 'Importer'],
  'import.choose': ['Choose a CSV file.', 'Choisissez un fichier CSV.'],
  'import.too_big': ['The file is larger than 20 MiB.', 'Le fichier dépasse 20 Mio.'],
  'import.uploading': ['Importing…', 'Import en cours…'],
  'import.report': ['Import report', 'Rapport d’import'],
  'import.done': ['The file was imported.', 'Le fichier a été importé.'],
  'import.not_imported_strict': ['Nothing was imported: some rows were rejected and strict mode was on.', 'Rien n’a été importé : des lignes ont été rejetées en mode strict.'],
  'import.not_imported': ['Nothing was imported.', 'Rien n’a été importé.'],
  'import.created': ['Created', 'Créés'],
  'import.updated': ['Updated', 'Mis à jour'],
  'import.unchanged': ['Unchanged', 'Inchangés'],
  'import.rejected': ['Rejected rows', 'Lignes rejetées'],
  'import.rejected_rows': ['Rejected rows', 'Lignes rejetées'],
  'import.line': ['Line', 'Ligne'],
  'import.field': ['Column', 'Colonne'],
  'import.message': ['Problem', 'Problème'],

  'team.members': ['Members', 'Membres'],
  'team.since': ['Member since', 'Membre depuis'],
  'team.you': ['you', 'vous'],
  'team.actions': ['Actions', 'Actions'],
  'team.role_of': ['Role of {name}', 'Rôle de {name}'],
  'team.role_changed': ['{name} is now {role}.', '{name} est maintenant {role}.'],
  'team.remove': ['Remove', 'Retirer'],
  'team.remove_n': ['Remove {name}', 'Retirer {name}'],
  'team.remove_confirm': ['Remove {name} from this brand?', 'Retirer {name} de cette marque ?'],
  'team.remove_me_confirm': ['Remove yourself from this brand? You will lose access to it.', 'Vous retirer de cette marque ? Vous n’y aurez plus accès.'],
  'team.removed': ['Member removed.', 'Membre retiré.'],
  'team.invitations': ['Invitations', 'Invitations'],
  'team.no_invitations': ['No invitations.', 'Aucune invitation.'],
  'team.state': ['State', 'État'],
  'team.state_pending': ['Pending', 'En attente'],
  'team.state_accepted': ['Accepted', 'Acceptée'],
  'team.state_expired': ['Expired', 'Expirée'],
  'team.expires': ['Expires', 'Expire le'],
  'team.cancel': ['Cancel', 'Annuler'],
  'team.cancel_n': ['Cancel the invitation of {email}', 'Annuler l’invitation de {email}'],
  'team.cancel_confirm': ['Cancel the invitation of {email}? Its link will stop working.', 'Annuler l’invitation de {email} ? Son lien ne fonctionnera plus.'],
  'team.cancelled': ['Invitation cancelled.', 'Invitation annulée.'],
  'team.invite_title': ['Invite someone', 'Inviter quelqu’un'],
  'team.invite': ['Create the invitation link', 'Créer le lien d’invitation'],
  'team.link_title': ['Invitation link for {email}', 'Lien d’invitation pour {email}'],
  'team.link': ['Link to send', 'Lien à envoyer'],
  'team.link_once': ['This link is shown only once. Copy it now and send it to the person you invite.', 'Ce lien n’est affiché qu’une fois. Copiez-le maintenant et envoyez-le à la personne invitée.'],

  'tokens.intro': ['API tokens let the brand’s other systems use the API. Each token has only the scopes you give it.', 'Les jetons d’API permettent aux autres systèmes de la marque d’utiliser l’API. Chaque jeton n’a que les droits que vous lui donnez.'],
  'tokens.list': ['Tokens', 'Jetons'],
  'tokens.none': ['No tokens yet.', 'Aucun jeton pour l’instant.'],
  'tokens.scopes': ['Scopes', 'Droits'],
  'tokens.prefix': ['Starts with', 'Commence par'],
  'tokens.created': ['Created', 'Créé le'],
  'tokens.last_used': ['Last used', 'Dernière utilisation'],
  'tokens.never': ['never', 'jamais'],
  'tokens.state': ['State', 'État'],
  'tokens.revoke': ['Revoke', 'Révoquer'],
  'tokens.revoke_n': ['Revoke {name}', 'Révoquer {name}'],
  'tokens.revoke_confirm': ['Revoke the token “{name}”? Systems using it will be refused at once.', 'Révoquer le jeton « {name} » ? Les systèmes qui l’utilisent seront refusés immédiatement.'],
  'tokens.revoked_done': ['Token “{name}” revoked.', 'Jeton « {name} » révoqué.'],
  'tokens.revoked_on': ['Revoked {date}', 'Révoqué le {date}'],
  'tokens.create_title': ['Create a token', 'Créer un jeton'],
  'tokens.name_hint': ['What uses it, such as “Shop stock sync”.', 'Ce qui l’utilise, par exemple « Synchro stock boutique ».'],
  'tokens.choose_scope': ['Choose at least one scope.', 'Choisissez au moins un droit.'],
  'tokens.create': ['Create the token', 'Créer le jeton'],
  'tokens.secret_title': ['Secret of “{name}”', 'Secret de « {name} »'],
  'tokens.secret': ['Token secret', 'Secret du jeton'],
  'tokens.secret_once': ['Copy this secret now: it will not be shown again.', 'Copiez ce secret maintenant : il ne sera plus jamais affiché.'],
  'scope.brand:read': ['read the brand settings', 'lire les réglages de la marque'],
  'scope.catalog:read': ['read products', 'lire les produits'],
  'scope.catalog:write': ['change products, stock, imports', 'modifier produits, stock, imports'],
  'scope.shows:read': ['read shows', 'lire les émissions'],
  'scope.shows:write': ['manage shows', 'gérer les émissions'],
  'scope.orders:read': ['read orders', 'lire les commandes'],
  'scope.orders:write': ['manage orders', 'gérer les commandes'],
  'scope.webhooks:manage': ['manage webhooks', 'gérer les webhooks'],
  'secret.copy': ['Copy', 'Copier'],
  'secret.copied': ['Copied.', 'Copié.'],
  'secret.copy_manually': ['Copying was refused: the text is selected, press Ctrl+C (⌘C).', 'La copie a été refusée : le texte est sélectionné, faites Ctrl+C (⌘C).'],

  'settings.identity': ['Identity', 'Identité'],
  'settings.logo': ['Logo URL', 'URL du logo'],
  'settings.logo_hint': ['An https:// image address; leave empty for none.', 'Une adresse d’image https:// ; laissez vide pour aucun.'],
  'settings.accent': ['Accent colour', 'Couleur d’accent'],
  'settings.region': ['Region', 'Région'],
  'settings.time_zone': ['Time zone', 'Fuseau horaire'],
  'settings.time_zone_hint': ['An IANA name such as Europe/Paris.', 'Un nom IANA comme Europe/Paris.'],
  'settings.currency': ['Currency', 'Devise'],
  'settings.currency_hint': ['All prices of the brand are in this currency.', 'Tous les prix de la marque sont dans cette devise.'],
  'settings.default_vat': ['Default VAT rate (%)', 'Taux de TVA par défaut (%)'],
  'settings.languages': ['Languages of the brand’s shows and shop', 'Langues des émissions et de la boutique'],
  'settings.choose_language': ['Choose at least one language.', 'Choisissez au moins une langue.'],
  'settings.embed': ['Embedding', 'Intégration'],
  'settings.origins': ['Sites allowed to embed the player', 'Sites autorisés à intégrer le lecteur'],
  'settings.origins_hint': ['One origin per line, such as https://shop.example.com.', 'Une origine par ligne, comme https://boutique.exemple.fr.'],
  'settings.save': ['Save the settings', 'Enregistrer les réglages'],
  'settings.saved': ['Settings saved.', 'Réglages enregistrés.'],

  'account.profile': ['Profile', 'Profil'],
  'account.brands': ['My brands', 'Mes marques'],
  'account.no_brand': ['You are not a member of any brand yet. Ask an owner for an invitation link.', 'Vous n’êtes membre d’aucune marque. Demandez un lien d’invitation à un propriétaire.'],
  'account.password': ['Change my password', 'Changer mon mot de passe'],
  'account.current': ['Current password', 'Mot de passe actuel'],
  'account.new': ['New password', 'Nouveau mot de passe'],
  'account.again': ['New password again', 'Confirmer le mot de passe'],
  'account.change': ['Change the password', 'Changer le mot de passe'],
  'account.changed': ['Password changed. Your other sessions are logged out.', 'Mot de passe changé. Vos autres sessions sont déconnectées.'],

  'invite.title': ['Invitation', 'Invitation'],
  'invite.join': ['Join {brand} on Vitrine', 'Rejoindre {brand} sur Vitrine'],
  'invite.as_role': ['You are invited as {role}.', 'Vous êtes invité(e) en tant que {role}.'],
  'invite.new_user': ['Create your account for {email}.', 'Créez votre compte pour {email}.'],
  'invite.existing_user': ['You already have an account ({email}): enter its password to accept.', 'Vous avez déjà un compte ({email}) : saisissez son mot de passe pour accepter.'],
  'invite.choose_password': ['Choose a password', 'Choisissez un mot de passe'],
  'invite.accept': ['Accept the invitation', 'Accepter l’invitation'],
  'invite.invalid_title': ['Invitation unavailable', 'Invitation indisponible'],
  'invite.invalid': ['This invitation link is unknown, has expired or was already used. Ask for a new one.', 'Ce lien d’invitation est inconnu, expiré ou déjà utilisé. Demandez-en un nouveau.'],
  'invite.to_admin': ['Go to Vitrine', 'Aller sur Vitrine'],
};

const listeners = new Set();
let lang = initialLang();

function initialLang() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage refused (privacy mode): the browser language decides.
  }
  if (CODES.includes(stored)) return stored;
  return (navigator.language ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

document.documentElement.lang = lang;

export function getLang() {
  return lang;
}

/** The locale for Intl: the browser's own when it is in the UI language (fr-CA, en-US…). */
export function locale() {
  const browser = navigator.language ?? '';
  if (browser.toLowerCase().startsWith(lang)) return browser;
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}

/** Switches the UI language, remembers it, and tells the listeners (which draw again). */
export function setLang(next) {
  if (!CODES.includes(next) || next === lang) return;
  lang = next;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; still switched for this page.
  }
  for (const listener of listeners) listener(lang);
}

export function onLangChange(listener) {
  listeners.add(listener);
}

/** The text for `key` with `{name}` placeholders filled; `params.n` picks a plural form. */
export function t(key, params = {}) {
  const entry = TEXT[key];
  if (!entry) return key;
  let text = entry[CODES.indexOf(lang)];
  if (typeof text === 'object') text = text[new Intl.PluralRules(lang).select(params.n ?? 0)] ?? text.other;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** A message for an error: ours for the codes we know, the server's otherwise. */
export function errorText(error) {
  if (error?.code && TEXT[`error.${error.code}`]) return t(`error.${error.code}`);
  if (error?.status >= 500 && !error.field) return t('error.server', { status: error.status });
  return error?.message || t('error.unknown');
}
