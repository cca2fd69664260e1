import type { EntryObject, FileSyntax } from './client-entries';
import { containerOf, editJsonEntry, invalidFile, parseJsonConfig } from './json-config-edit';
import { editTomlEntry, parseTomlConfig } from './toml-config-edit';

/** Where the servers sit in a file, and in which syntax. */
export interface DocumentLayout {
  syntax: FileSyntax;
  container: string[];
}

/**
 * A config file's top-level object. `forWriting` holds strict-JSON files to what their client
 * accepts (no comments, no trailing commas): writing into a file the client cannot read would
 * only hide the problem. Reading for status is lenient.
 */
export function parseDocument(
  text: string,
  syntax: FileSyntax,
  forWriting: boolean,
): Record<string, unknown> {
  return syntax === 'toml' ? parseTomlConfig(text) : parseJsonConfig(text, forWriting && syntax === 'json');
}

/** The server map of a parsed file; throws when it is there but not an object. */
export function serverMap(
  root: Record<string, unknown>,
  container: string[],
): Record<string, unknown> | undefined {
  return containerOf(root, container);
}

/** The text with entry `name` set to `value`, or removed when `value` is `undefined`. */
export function editDocument(
  text: string | undefined,
  layout: DocumentLayout,
  name: string,
  value: EntryObject | undefined,
): { text: string; formatKept: boolean } {
  if (layout.syntax === 'toml') {
    const table = layout.container[0];
    if (layout.container.length !== 1 || table === undefined) {
      throw invalidFile(`TOML entries must sit in one top-level table, not "${layout.container.join('.')}"`);
    }
    return editTomlEntry(text, table, name, value);
  }
  return {
    text: editJsonEntry(text, layout.syntax === 'json', layout.container, name, value),
    formatKept: true,
  };
}
