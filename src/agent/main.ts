/**
 * The agent host process. Forked by the extension (JSON-RPC over Node IPC), or run standalone
 * with `node dist/agent.js --stdio` (JSON-RPC with Content-Length framing on stdin/stdout, see
 * docs/protocol.md). Nothing but protocol messages may reach stdout in stdio mode.
 */
import { Writable } from 'node:stream';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/node';
import { version } from '../../package.json';
import { LogNotification } from '../protocol/agentProtocol';
import { registerAgentHandlers } from './host/agentServer';

const USAGE = `Anneal agent host ${version}
Usage: node agent.js --stdio     JSON-RPC over stdin/stdout (see docs/protocol.md)
       (forked with an IPC channel, it speaks JSON-RPC over IPC)
`;

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write(USAGE);
    process.exit(0);
  }
  if (args.includes('--version')) {
    process.stderr.write(`${version}\n`);
    process.exit(0);
  }
  let reader: MessageReader;
  let writer: MessageWriter;
  if (args.includes('--stdio')) {
    [reader, writer] = stdioTransport();
  } else if (typeof process.send === 'function') {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
    // The extension host went away: there is nobody left to answer.
    process.on('disconnect', () => process.exit(0));
  } else {
    process.stderr.write(USAGE);
    process.exit(2);
  }

  const connection = createMessageConnection(reader, writer);
  installCrashReporting(connection);
  registerAgentHandlers(connection, { version, pid: process.pid, exit: () => process.exit(0) });
  connection.onClose(() => process.exit(0));
  connection.listen();
}

/**
 * Reads stdin and writes stdout, after pointing `process.stdout.write` at stderr so that a stray
 * write from any library cannot corrupt the message stream.
 */
function stdioTransport(): [MessageReader, MessageWriter] {
  const realWrite = process.stdout.write.bind(process.stdout);
  const wire = new Writable({
    write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      realWrite(chunk, encoding, callback);
    },
  });
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.stdin.on('end', () => process.exit(0));
  return [new StreamMessageReader(process.stdin), new StreamMessageWriter(wire)];
}

/** Reports an uncaught exception to stderr and to the client, then exits: state is unknown now. */
function installCrashReporting(connection: MessageConnection): void {
  let exiting = false;
  const report = (kind: string, error: unknown): void => {
    if (exiting) return;
    exiting = true;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const message = `agent host ${kind}: ${detail}`;
    process.stderr.write(`${message}\n`);
    const done = (): void => process.exit(1);
    // Give the notification a moment to leave; exit regardless.
    setTimeout(done, 200).unref();
    connection.sendNotification(LogNotification, { level: 'error', message }).then(done, done);
  };
  process.on('uncaughtException', (e) => report('uncaught exception', e));
  process.on('unhandledRejection', (e) => report('unhandled rejection', e));
}

main();
