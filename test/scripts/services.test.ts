import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree } from '../../scripts/services.mjs';

const listen = (host?: string) =>
  new Promise<Server>((resolve) => {
    const server = createServer();
    server.listen(0, host, () => resolve(server));
  });

describe('npm start with a busy port', () => {
  it('names the port and the variable that moves it, whatever local address holds it', async () => {
    for (const host of ['127.0.0.1', 'localhost', undefined]) {
      const server = await listen(host);
      const { port } = server.address() as { port: number };
      await expect(assertPortFree(port, 'CAIRN_ANVIL_PORT')).rejects.toThrow(`port ${port} is busy: set CAIRN_ANVIL_PORT to another port`);
      await new Promise((r) => server.close(r));
      await expect(assertPortFree(port, 'CAIRN_ANVIL_PORT')).resolves.toBeUndefined();
    }
  });
});
