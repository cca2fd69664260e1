/**
 * Replaces secret values (bearer tokens, env values marked secret) wherever they appear
 * in text bound for frames, logs or the UI.
 */
export class Redactor {
  private secrets: string[] = [];

  /** Sets the values to hide; very short values are ignored (they would mask ordinary text). */
  setSecrets(values: Iterable<string>): void {
    this.secrets = [...new Set([...values].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }
}
