/**
 * URLs of the viewer's images, shared by the server-rendered patient page (which preloads each pane's first image)
 * and the client viewer (which loads them through wadouri): both must produce the very same URL for the preload to be
 * reused.
 */
export interface ViewerImageRef {
  instanceId: string;
  frame: number;
}

export function instanceFileUrl(im: ViewerImageRef): string {
  return `/api/instances/${im.instanceId}/file${im.frame > 1 ? `?frame=${im.frame}` : ""}`;
}

/** The stack opens on its middle slice (the tumour is rarely at the edge of the field of view). */
export function firstImageIndex(count: number): number {
  return Math.floor(count / 2);
}
