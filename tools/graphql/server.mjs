// A GraphQL mock server for connectorgen's tests (internal/graphqltest):
// graphql-yoga serving an SDL file with @graphql-tools/mock resolvers.
//
//   node server.mjs SCHEMA.graphql PORT
//
// It listens on 127.0.0.1:PORT at /graphql and prints "ready <url>" once
// listening. Deterministic mocks: Int 42, Float 1.5, String "mock", ID
// "id-1", Boolean true, and fixed values for common custom scalars. Knobs,
// per request, through headers (so one server serves every test):
//   x-mock-fail: N, x-mock-scenario: KEY  the first N requests carrying KEY get 503
//   x-mock-expect-auth: VALUE             401 unless Authorization equals VALUE
//   x-mock-field-error: a.b               the field at response path a.b is set to
//                                         null and a GraphQL error for it is added
//   x-mock-typename: a.b=Name             the object at response path a.b gets the
//                                         __typename Name (a type the schema does not
//                                         have yet: a server that grew); several
//                                         comma-separated
// GET /__requests returns the requests received so far (operation name,
// variables, Authorization and Idempotency-Key headers), for assertions.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createYoga } from 'graphql-yoga';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { addMocksToSchema } from '@graphql-tools/mock';

const [schemaPath, portArg] = process.argv.slice(2);
if (!schemaPath || !portArg) {
  console.error('usage: node server.mjs SCHEMA.graphql PORT');
  process.exit(2);
}
const typeDefs = readFileSync(schemaPath, 'utf8');
const scalarMocks = {
  Int: () => 42, Float: () => 1.5, String: () => 'mock', ID: () => 'id-1', Boolean: () => true,
  DateTime: () => '2024-01-02T03:04:05Z', ISO8601DateTime: () => '2024-01-02T03:04:05Z', Date: () => '2024-01-02',
  URI: () => 'https://example.com/x', URL: () => 'https://example.com/x', HTML: () => '<p>mock</p>',
  GitObjectID: () => '0123456789abcdef0123456789abcdef01234567', GitTimestamp: () => '2024-01-02T03:04:05Z',
  PreciseDateTime: () => '2024-01-02T03:04:05.123Z', UUID: () => '00000000-0000-4000-8000-000000000000',
  PositiveInt: () => 1, Minute: () => 1, Hour: () => 1, Day: () => 1, Decimal: () => 1.5, PositiveDecimal: () => 1.5,
  JSON: () => ({ mock: true }), JSONString: () => '{"mock":true}', GenericScalar: () => ({ mock: true }),
  JSONObject: () => ({ mock: true }), Long: () => 42, BigInt: () => '9007199254740993', TimelessDate: () => '2024-01-02',
  Timestamp: () => '2024-01-02T03:04:05Z', Amount: () => '1.50',
};
const schema = addMocksToSchema({ schema: makeExecutableSchema({ typeDefs }), mocks: scalarMocks });
const yoga = createYoga({ schema, logging: false, maskedErrors: false, graphiql: false });

const failures = new Map(); // scenario -> requests seen
const requests = [];

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function parsePath(p) {
  return p.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data, path) {
  let o = data;
  for (const p of path) {
    if (o == null) return undefined;
    o = o[p];
  }
  return o;
}

function nullAt(data, path) {
  let o = data;
  for (let i = 0; i < path.length - 1; i++) {
    if (o == null) return;
    o = o[path[i]];
  }
  if (o != null) o[path[path.length - 1]] = null;
}

const server = createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/__requests') return send(res, 200, requests);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    let parsed = {};
    try { parsed = JSON.parse(body); } catch { /* yoga reports it */ }
    requests.push({
      operationName: parsed.operationName ?? null, variables: parsed.variables ?? null,
      authorization: req.headers['authorization'] ?? null, idempotencyKey: req.headers['idempotency-key'] ?? null,
    });
    const scenario = req.headers['x-mock-scenario'] ?? '';
    const fail = Number(req.headers['x-mock-fail'] ?? 0);
    if (fail > 0) {
      const seen = (failures.get(scenario) ?? 0) + 1;
      failures.set(scenario, seen);
      if (seen <= fail) return send(res, 503, { errors: [{ message: 'mock: unavailable' }] });
    }
    const expect = req.headers['x-mock-expect-auth'];
    if (expect !== undefined && req.headers['authorization'] !== expect) {
      return send(res, 401, { errors: [{ message: 'mock: unauthorized' }] });
    }
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const response = await yoga.fetch(`http://127.0.0.1${req.url}`, {
      method: req.method, headers, body: req.method === 'GET' ? undefined : body,
    });
    let text = await response.text();
    const typenames = req.headers['x-mock-typename'];
    if (typenames && response.status === 200) {
      const result = JSON.parse(text);
      for (const spec of typenames.split(',')) {
        const [p, name] = spec.trim().split('=');
        const o = valueAt(result.data, parsePath(p));
        if (o != null && typeof o === 'object') o.__typename = name;
      }
      text = JSON.stringify(result);
    }
    const fieldError = req.headers['x-mock-field-error'];
    if (fieldError && response.status === 200) {
      const result = JSON.parse(text);
      const path = parsePath(fieldError);
      nullAt(result.data, path);
      result.errors = [...(result.errors ?? []), {
        message: `mock: cannot resolve ${fieldError}`, path, locations: [{ line: 1, column: 1 }],
        extensions: { code: 'MOCK_FIELD_ERROR' },
      }];
      text = JSON.stringify(result);
    }
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  } catch (err) {
    send(res, 500, { errors: [{ message: `mock server: ${err}` }] });
  }
});
server.listen(Number(portArg), '127.0.0.1', () => {
  console.log(`ready http://127.0.0.1:${portArg}/graphql`);
});
