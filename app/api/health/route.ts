import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/prisma";
import { checkHealth } from "@/lib/pipeline/health";

// Public by design (load balancers, the start command): reports no patient data.
export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDatabase();
    const report = await checkHealth(db.prisma, db.kind);
    return NextResponse.json(report, { status: report.status === "ok" ? 200 : 503 });
  } catch (e) {
    const report = await checkHealth(null, "unknown", (e as Error).message);
    return NextResponse.json(report, { status: 503 });
  }
}
