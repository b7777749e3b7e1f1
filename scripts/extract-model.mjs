#!/usr/bin/env node
// Extracts an AWS API model from botocore (installed with boto3) into
// src/models/<service>.json, keeping only what request validation needs:
// operations (input/output shapes, errors) and shapes without documentation.
// Usage: node scripts/extract-model.mjs dynamodb 2012-08-10
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [service, version] = process.argv.slice(2);
if (!service || !version) throw new Error('usage: extract-model.mjs <service> <api-version>');
const botocore = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))']).toString().trim();
const file = `${botocore}/data/${service}/${version}/service-2.json.gz`;
const model = JSON.parse(gunzipSync(readFileSync(file)).toString());

const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'documentation' || k === 'documentationUrl' || k === 'examples' || k === 'endpointdiscovery' || k === 'contextParam') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
};

const out = { metadata: strip(model.metadata), operations: strip(model.operations), shapes: strip(model.shapes) };
writeFileSync(`src/models/${service}.json`, JSON.stringify(out) + '\n');
console.log(`wrote src/models/${service}.json from botocore ${version}`);
