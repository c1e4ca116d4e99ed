import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { abortOnInterrupt, askToStop, lineLog } from '../../../transform/sagemaker/terminal';

function collector(): { write: (text: string) => void; text: () => string } {
  const chunks: string[] = [];
  return { write: (text) => chunks.push(text), text: () => chunks.join('') };
}

describe('lineLog', () => {
  it('prints one line per message, prefixed by its level, and no status line off a terminal', () => {
    const out = collector();
    const log = lineLog(out.write);
    log.progress?.('job: InProgress (10s)');
    log.info('created');
    log.warn('slow');
    log.error('broken');
    expect(out.text()).toBe('created\nwarning: slow\nerror: broken\n');
  });

  it('on a terminal redraws the status line in place and erases it before the next line', () => {
    const out = collector();
    const log = lineLog(out.write, true);
    log.progress?.('job: InProgress (10s)');
    log.progress?.('job: InProgress (25s)');
    log.info('job: InProgress → Completed');
    log.info('done');
    expect(out.text()).toBe(
      '\r\x1b[2Kjob: InProgress (10s)\r\x1b[2Kjob: InProgress (25s)\r\x1b[2Kjob: InProgress → Completed\ndone\n',
    );
  });
});

describe('askToStop', () => {
  it.each([
    ['y\n', true],
    ['yes\n', true],
    ['n\n', false],
    ['\n', false],
  ])('answers %j with %s', async (typed, expected) => {
    const input = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    const output = new PassThrough();
    const said: Buffer[] = [];
    output.on('data', (chunk: Buffer) => said.push(chunk));
    const answer = askToStop('j-1', input, output);
    input.write(typed);

    expect(await answer).toBe(expected);
    expect(Buffer.concat(said).toString()).toContain('Stop transform job j-1? SageMaker keeps no output of a stopped job. [y/N]');
  });

  it('does not stop the job when there is no terminal to ask on, and says so', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const output = new PassThrough();
    const said: Buffer[] = [];
    output.on('data', (chunk: Buffer) => said.push(chunk));

    expect(await askToStop('j-1', input, output)).toBe(false);
    expect(Buffer.concat(said).toString()).toBe('stdin is not a terminal, so j-1 is not stopped without asking\n');
  });
});

describe('abortOnInterrupt', () => {
  it('aborts on the first SIGINT and stops listening once disposed', () => {
    const signals = new EventEmitter();
    const interrupt = abortOnInterrupt(signals);
    expect(signals.listenerCount('SIGINT')).toBe(1);
    signals.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);

    const unused = abortOnInterrupt(signals);
    unused.dispose();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(unused.signal.aborted).toBe(false);
  });
});
