/** What the Tools tab shows and sends: a server's catalog, calls, their progress and outcome. */

/** A JSON Schema as MCP servers send it (only the parts the form reads are typed). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  [key: string]: unknown;
}

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: Record<string, unknown>;
}

export interface ResourceInfo {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface ResourceTemplateInfo {
  uriTemplate: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface PromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

/** Everything a server offers, listed through Patchbay's own session (every page). */
export interface ToolCatalog {
  serverInfo?: { name?: string; version?: string };
  tools: ToolInfo[];
  resources: ResourceInfo[];
  resourceTemplates: ResourceTemplateInfo[];
  prompts: PromptInfo[];
  /** A list the server offers but failed to give (the others still show). */
  errors: { list: string; message: string }[];
}

/** One item of a tool result's `content`. */
export type ToolContent =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'audio'; data: string; mimeType: string }
  | {
      type: 'resource';
      resource: { uri: string; mimeType?: string; text?: string; blob?: string };
    }
  | { type: 'resource_link'; uri: string; name?: string; description?: string; mimeType?: string }
  | { type: string; [key: string]: unknown };

export interface ToolCallResult {
  content?: ToolContent[];
  structuredContent?: unknown;
  isError?: boolean;
}

export interface ToolProgress {
  serverId: string;
  callId: string;
  progress: number;
  total?: number;
  message?: string;
}

/** How a call ended: the server's result, or a failure (a JSON-RPC error, the session gone, Cancel). */
export type ToolOutcome = (
  | { serverId: string; callId: string; ok: true; result: ToolCallResult }
  | {
      serverId: string;
      callId: string;
      ok: false;
      error: { code: string; message: string };
      cancelled?: boolean;
    }
) & {
  /** The saved call this run came from (its last outcome is kept). */
  savedId?: string;
};

/** A call kept per server, run again with one click. */
export interface SavedCall {
  id: string;
  serverId: string;
  name: string;
  tool: string;
  args: Record<string, unknown>;
  lastOutcome?: ToolOutcome;
  lastRunAt?: number;
  createdAt: number;
}

/** A request from the server during a call, answered in the window (`tools.answer`). */
export interface ToolServerRequest {
  serverId: string;
  /** The call running when it came (undefined when none was). */
  callId?: string;
  requestId: string;
  method: 'elicitation/create' | 'sampling/createMessage';
  params: Record<string, unknown>;
}

/** The answer to a ToolServerRequest: its `result`, or a refusal. */
export type ToolServerAnswer =
  { result: Record<string, unknown> } | { error: { code: number; message: string } };
