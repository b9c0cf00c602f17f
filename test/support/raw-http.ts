// Raw TCP conversations with the gateway, for what fetch cannot do: send a request slowly, hold connections open.
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves with everything received once the server closes the connection (or it fails). */
  closed: Promise<string>;
}

export function openRawConnection(port: number, host = '127.0.0.1'): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    const closed = new Promise<string>((settle) => socket.once('close', () => settle(text)));
    // A connection the server drops at once may reset rather than close cleanly; either way it is closed.
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes `lead`, then one byte of `drip` every `everyMs` until the server closes the connection; resolves with its answer. */
export async function trickle(port: number, lead: string, drip: string, everyMs = 50): Promise<string> {
  const connection = await openRawConnection(port);
  connection.socket.write(lead);
  let index = 0;
  const timer = setInterval(() => {
    if (!connection.socket.writable) return;
    connection.socket.write(drip[index % drip.length]);
    index += 1;
  }, everyMs);
  try {
    return await connection.closed;
  } finally {
    clearInterval(timer);
  }
}

/** Sends a keep-alive GET and resolves with the status line once a complete response (by content-length) arrived. */
export function keepAliveGet(connection: RawConnection, path: string): Promise<string> {
  const start = connection.received().length;
  connection.socket.write(`GET ${path} HTTP/1.1\r\nHost: gateway\r\nConnection: keep-alive\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const check = () => {
      const answer = connection.received().slice(start);
      const headerEnd = answer.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(answer)?.[1] ?? NaN);
      if (headerEnd >= 0 && answer.length - headerEnd - 4 >= length) {
        cleanUp();
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    };
    const onClose = () => {
      cleanUp();
      reject(new Error(`connection closed before a complete answer to GET ${path}`));
    };
    const cleanUp = () => {
      connection.socket.off('data', check);
      connection.socket.off('close', onClose);
    };
    connection.socket.on('data', check);
    connection.socket.on('close', onClose);
    check();
  });
}
