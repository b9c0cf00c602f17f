import { BufferedResponse } from '../../src/microsoft/buffered-response';

describe('BufferedResponse', () => {
  it('reads like a fetch Response: status, ok, headers case-insensitively, JSON body', async () => {
    const response = new BufferedResponse('{"value":[1,2]}', 200, { 'content-type': 'application/json; charset=utf-8' });
    expect(response.ok).toBe(true);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ value: [1, 2] });
  });

  it('refuses a second read of its body, as Response does, while a clone reads on its own', async () => {
    const response = new BufferedResponse('{"error":{"code":"InvalidAuthenticationToken"}}', 401, {});
    expect(response.ok).toBe(false);
    expect(await response.clone().json()).toEqual({ error: { code: 'InvalidAuthenticationToken' } });
    expect(await response.text()).toContain('InvalidAuthenticationToken');
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(response.bodyUsed).toBe(true);
  });

  it('hands out bytes and a stream with the same content', async () => {
    const bytes = new Uint8Array(await new BufferedResponse('héllo', 200, {}).arrayBuffer());
    expect(Buffer.from(bytes).toString('utf8')).toBe('héllo');
    const streamed = await new Response(new BufferedResponse('héllo', 200, {}).body).text();
    expect(streamed).toBe('héllo');
    expect(new BufferedResponse(null, 204, {}).body).toBeNull();
  });
});
