// Which addresses sources may call, from the environment (see the URL guard in server/sync/http).
import { env } from '../env';

export const urlPolicy = () => ({ allowPrivateNetworks: env().CONCORD_ALLOW_PRIVATE_URLS });
