// The user's microphone and camera for a call: what the browser and the user allow, and a message
// that says what is missing and what still works.

/** A message-sized reason for a media error. */
export function errorText(e: unknown): string {
  if (e instanceof DOMException) {
    if (e.name === 'NotAllowedError') return 'permission denied';
    if (e.name === 'NotFoundError') return 'no device found';
    if (e.name === 'NotReadableError') return 'the device is in use';
    return e.message || e.name;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Microphone (and camera for video): without the camera the call goes on with audio only, without
 * both it goes on receive-only, and `notice` says so.
 */
export async function localMedia(video: boolean, deviceIds: { audio?: string; video?: string }): Promise<{ stream: MediaStream; notice?: string }> {
  const audio: MediaTrackConstraints | boolean = deviceIds.audio ? { deviceId: { exact: deviceIds.audio } } : true;
  const cam: MediaTrackConstraints | boolean = deviceIds.video ? { deviceId: { exact: deviceIds.video } } : true;
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio, video: video ? cam : false }) };
  } catch (e) {
    if (!video) return { stream: new MediaStream(), notice: `Microphone unavailable (${errorText(e)}): you can still hear the other side.` };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      return { stream, notice: `Camera unavailable (${errorText(e)}): continuing with audio only.` };
    } catch (e2) {
      return { stream: new MediaStream(), notice: `Microphone and camera unavailable (${errorText(e2)}): you can still hear and see the other side.` };
    }
  }
}
