// A product's description, from the catalog's sanitised HTML, rebuilt element by element from an
// allow-list: DOMParser reads it (scripts never run there), and only known tags and safe links are
// created again in the page. Never innerHTML.

const TAGS = new Set(['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'span', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const HEADINGS = { h1: 'h3', h2: 'h3' };

/** A DocumentFragment holding the description's text and allowed elements. */
export function describe(html) {
  const fragment = document.createDocumentFragment();
  if (typeof html !== 'string' || !html) return fragment;
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  copy(parsed.body, fragment);
  return fragment;
}

function copy(from, into) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      into.append(document.createTextNode(node.nodeValue));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      const name = HEADINGS[node.localName] ?? node.localName;
      if (name === 'script' || name === 'style' || name === 'template') continue;
      if (!TAGS.has(name)) {
        copy(node, into); // unknown element: its text only
        continue;
      }
      const element = document.createElement(name);
      if (name === 'a') {
        const href = node.getAttribute('href') ?? '';
        if (/^https?:\/\//i.test(href)) {
          element.href = href;
          element.target = '_blank';
          element.rel = 'noopener noreferrer nofollow';
        }
      }
      copy(node, element);
      into.append(element);
    }
  }
}
