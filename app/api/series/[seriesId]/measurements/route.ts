import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { measurementSetResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { MeasurementSetInput } from "@/lib/measurements/measurement-set";
import { readMeasurements, saveMeasurements } from "@/lib/measurements/measurement-store";
import { seriesExistsOrThrow } from "@/lib/pipeline/exists";
import { patientOfSeries } from "@/lib/pipeline/series";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Params = z.object({ seriesId: z.string().uuid() });

/** The latest measurement set of a series (length, bidirectional, ROI long/short axis), with who saved it and when. */
export const GET = apiRoute(
  { permission: "patient.read", params: Params, response: measurementSetResponse },
  async ({ params, audit }) => {
    const prisma = await getPrisma();
    await seriesExistsOrThrow(prisma, params.seriesId);
    const set = await readMeasurements(getFileStore(), params.seriesId);
    await audit({
      action: "measurement.read",
      patientId: await patientOfSeries(prisma, params.seriesId),
      targetType: "series",
      targetId: params.seriesId,
      details: { version: set.version },
    });
    return { measurements: set };
  },
);

/** Save the series' measurements as a new version (refused with 409 when based on an older one). */
export const PUT = apiRoute(
  { permission: "roi.write", params: Params, body: MeasurementSetInput, response: measurementSetResponse },
  async ({ params, body, user, audit }) => {
    const prisma = await getPrisma();
    await seriesExistsOrThrow(prisma, params.seriesId);
    const set = await saveMeasurements(getFileStore(), {
      seriesId: params.seriesId,
      baseVersion: body.baseVersion,
      measurements: body.measurements,
      user: { username: user.username, displayName: user.name },
    });
    await audit({
      action: "measurement.save",
      patientId: await patientOfSeries(prisma, params.seriesId),
      targetType: "series",
      targetId: params.seriesId,
      details: { version: set.version, count: set.measurements.length },
    });
    return { measurements: set };
  },
);
