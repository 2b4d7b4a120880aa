/**
 * The page builds every element with this: request data only ever becomes text nodes
 * (`append` of a string), never markup, so a parameter named `<img onerror=…>` is shown,
 * not run.
 */
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

/** Empties an element and puts these children in. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== undefined && child !== false));
}

/** A value in monospace. */
export function code(text: string): HTMLElement {
  return el('code', {}, text);
}
