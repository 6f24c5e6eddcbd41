import { SaxesParser } from 'saxes';

/** An element of a parsed fragment: its text (leaves) or its child elements. */
export interface XmlElement {
  name: string;
  /** Character data directly inside the element, untrimmed (whitespace only, for elements with children). */
  text: string;
  children: XmlElement[];
  /** Character offset just after the element's start tag, in the fragment. */
  offset: number;
}

export interface XmlFragment {
  /** The fragment's top-level elements; an element left open at the end is included as far as it got. */
  elements: XmlElement[];
  /** Well-formedness errors with their offset in the fragment; empty when the fragment is well-formed. */
  errors: Array<{ message: string; offset: number }>;
}

/**
 * Parse one XML fragment with saxes, a strict XML 1.0 parser, into a small element tree. Feeds are read one
 * fragment at a time (a detector block, a period header) so that a well-formedness error costs that fragment
 * only: saxes, like any strict parser, cannot be trusted past its first error (a bare "&" makes it read the
 * rest of its input as an entity name). `allowUnclosed` names elements that legitimately stay open at the end
 * of a fragment (a period header is cut before its <detectors> list closes).
 */
export function parseXmlFragment(fragment: string, allowUnclosed: ReadonlySet<string> = new Set()): XmlFragment {
  const parser = new SaxesParser({ fragment: true, position: true });
  const root: XmlElement = { name: '', text: '', children: [], offset: 0 };
  const stack: XmlElement[] = [root];
  const errors: XmlFragment['errors'] = [];
  let closing = false;
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, text: '', children: [], offset: parser.position };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  const addText = (chunk: string): void => {
    const top = stack[stack.length - 1]!;
    if (top !== root) top.text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    if (stack.length > 1) stack.pop();
  });
  parser.on('error', (err) => {
    const message = err.message.replace(/^\d+:\d+: /, '');
    const unclosed = /^unclosed tag: (.+)$/.exec(message)?.[1];
    if (closing && unclosed !== undefined && allowUnclosed.has(unclosed)) return;
    errors.push({ message, offset: parser.position });
  });
  parser.write(fragment);
  closing = true;
  parser.close();
  return { elements: root.children, errors };
}

/** The text of the first child element with this name, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text;
}
