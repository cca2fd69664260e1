/** Tools whose `x-mcp-header` annotations one bridge remembers (the oldest learned goes first). */
export const MAX_TOOLS_WITH_HEADERS = 4096;
/** RFC 9110 token: what an `x-mcp-header` name must be to become a header. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Argument types SEP-2243 lets a tool mirror into a header (`number` too, as the SDKs accept it). */
const MIRRORED_TYPES = new Set(['string', 'integer', 'boolean', 'number']);

/**
 * The `Mcp-Param-{Name}` headers each tool's calls must carry (2026-07-28, SEP-2243), learned
 * from the `tools/list` results the bridge relays: a 2025 server's tools may annotate arguments
 * with `x-mcp-header`, and on the HTTP side Patchbay is the server that checks them. A call to a
 * tool no listing has shown yet is not checked.
 */
export class ToolHeaders {
  private readonly byTool = new Map<string, ReadonlyMap<string, string>>();

  /** Argument → header name for `tool`, when it annotates any. */
  get(tool: string): ReadonlyMap<string, string> | undefined {
    return this.byTool.get(tool);
  }

  /** Learns the annotations of every tool in a `tools/list` result (one page of it). */
  learn(result: unknown): void {
    const tools = (result as { tools?: unknown } | undefined)?.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools as { name?: unknown; inputSchema?: unknown }[]) {
      if (typeof tool?.name !== 'string') continue;
      const headers = annotated(tool.inputSchema);
      this.byTool.delete(tool.name);
      if (headers.size === 0) continue;
      if (this.byTool.size >= MAX_TOOLS_WITH_HEADERS) {
        this.byTool.delete(this.byTool.keys().next().value!);
      }
      this.byTool.set(tool.name, headers);
    }
  }
}

/**
 * The valid annotations of a schema's top-level properties. A tool whose annotations are
 * invalid (a name that is no token, a repeated name, an object-typed argument) has none enforced:
 * a client must refuse such a tool, so no call of it can be checked fairly.
 */
function annotated(schema: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const props = (schema as { properties?: unknown } | undefined)?.properties;
  if (typeof props !== 'object' || props === null) return out;
  const seen = new Set<string>();
  for (const [arg, prop] of Object.entries(props as Record<string, unknown>)) {
    const name = (prop as Record<string, unknown> | null)?.['x-mcp-header'];
    if (name === undefined) continue;
    const type = (prop as Record<string, unknown>)['type'];
    if (typeof name !== 'string' || !TOKEN.test(name) || seen.has(name.toLowerCase())) return new Map();
    if (typeof type !== 'string' || !MIRRORED_TYPES.has(type)) return new Map();
    seen.add(name.toLowerCase());
    out.set(arg, name);
  }
  return out;
}
