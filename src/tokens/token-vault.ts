// Encrypts and decrypts a user's msal-node cache partition, bound to its channel and user.
import type { Channel } from '../config/channels';
import type { TokenCipher } from '../crypto/token-cipher';

export class TokenVault {
  constructor(private readonly cipher: TokenCipher) {}

  seal(channel: Channel, userId: string, serializedCache: string): string {
    return this.cipher.encrypt(serializedCache, associatedData(channel, userId));
  }

  open(channel: Channel, userId: string, envelope: string): string {
    return this.cipher.decrypt(envelope, associatedData(channel, userId));
  }
}

function associatedData(channel: Channel, userId: string): string {
  return `microsoft-token-cache:${channel}:${userId}`;
}
