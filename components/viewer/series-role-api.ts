/** Override a series' role (PATCH /api/series/[id]); throws the server's message when refused. */
export async function setSeriesRole(seriesId: string, role: string): Promise<void> {
  const res = await fetch(`/api/series/${seriesId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ role }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error?.message ?? `role change failed (${res.status})`);
}
