// Preview of a product description: the HTML is parsed inertly and rebuilt from an allow-list,
// element by element, so nothing from the text ever reaches the page as markup.

import { safeUrl } from './dom.js';

const ALLOWED = new Set([
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'a', 'span', 'sub',
  'sup',
]);
// Their content is code or embedded documents, not text: dropped with the element.
const DROPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math', 'head', 'title']);
const MAX_DEPTH = 64;

function copyChildren(source, target, depth) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(node.nodeValue));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      const copy = copyElement(node, depth + 1);
      if (copy) target.append(copy);
    }
  }
}

function copyElement(node, depth) {
  const tag = node.localName;
  if (DROPPED.has(tag) || depth > MAX_DEPTH) return null;
  if (!ALLOWED.has(tag)) {
    // An unknown wrapper (div, font…) keeps its text but not itself.
    const fragment = document.createDocumentFragment();
    copyChildren(node, fragment, depth);
    return fragment;
  }
  const el = document.createElement(tag);
  if (tag === 'a') {
    const href = safeUrl(node.getAttribute('href') ?? '', { allowMailto: true });
    if (href) {
      el.setAttribute('href', href);
      el.setAttribute('rel', 'noopener noreferrer nofollow');
      el.setAttribute('target', '_blank');
    }
  }
  copyChildren(node, el, depth);
  return el;
}

/** Sanitised DOM for `html`, built with createElement from the allow-list above. */
export function renderDescription(html) {
  const parsed = new DOMParser().parseFromString(String(html ?? ''), 'text/html');
  const fragment = document.createDocumentFragment();
  copyChildren(parsed.body, fragment, 0);
  return fragment;
}
