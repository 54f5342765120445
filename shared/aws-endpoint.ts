/**
 * Where an AWS client of ours sends its requests (DynamoDB, EventBridge): AWS's regional endpoint
 * with the SDK's default credential chain, unless an endpoint is given. For an endpoint on this
 * machine (DynamoDB Local, the EventBridge stand-in, a proxy) fixed dummy credentials are used: the
 * local servers ignore them, and the chain would otherwise probe the EC2 metadata service and hang
 * on a laptop.
 */

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** True when `endpoint` names this machine: `localhost` (or a `*.localhost` name), 127.0.0.0/8 or [::1]. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** The endpoint and credentials settings for `endpoint` (unset: AWS's regional endpoint and the default chain). */
export function endpointSettings(endpoint: string | undefined): { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  if (endpoint === undefined) return {};
  return isLoopbackEndpoint(endpoint) ? { endpoint, credentials: LOCAL_CREDENTIALS } : { endpoint };
}
