// A plain HTTP request with any headers (fetch will not send a forged Host), for the web page's security tests.
import { request as httpRequest } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export function request(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; host?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: o.host ?? '127.0.0.1',
        port,
        method: o.method ?? 'GET',
        path: o.path,
        headers: { Host: `127.0.0.1:${port}`, ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            json: <T>() => JSON.parse(body.toString()) as T,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
