// Writes the served GraphQL schema to schema/schema.graphql, for frontend codegen and the contract check.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printGatewaySchema } from '../graphql/print-schema';

const target = resolve(__dirname, '../../schema/schema.graphql');
writeFileSync(target, printGatewaySchema());
process.stdout.write(`wrote ${target}\n`);
