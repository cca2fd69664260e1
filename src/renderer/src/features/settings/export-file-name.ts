/** "patchbay-servers-2024-05-01.json": dated, so exports do not overwrite each other. */
export function exportFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `patchbay-servers-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.json`;
}
