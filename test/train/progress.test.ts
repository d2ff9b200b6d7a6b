import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EpochRecord } from '../../src/train/history.js';
import { defaultReporter, formatEpochLine, lineReporter, ttyProgressBar } from '../../src/train/progress.js';

const record: EpochRecord = {
  epoch: 3,
  train_loss: 0.5,
  train_accuracy: 0.75,
  val_loss: 0.625,
  val_accuracy: 0.7,
  lr: { quantum: 0.01, classical: 0.001 },
  grad_norm: 1.5,
  grad_norm_max: 2,
  seconds: 0.25,
  samples_per_second: 1600,
  peak_rss_mb: 200.4,
};

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (t: string) => chunks.push(t) } };
}

test('an epoch line shows running training and evaluated validation metrics, labelled so, rates per group, grad norm, time, throughput and memory', () => {
  assert.equal(
    formatEpochLine(record, 10),
    'epoch  3/10  train (running): loss 0.5000 acc 0.7500  val: loss 0.6250 acc 0.7000  lr quantum 0.0100 classical 0.00100  |g| 1.5000  0.25s  1600/s  rss 200MB',
  );
  assert.doesNotMatch(formatEpochLine({ ...record, val_loss: null, val_accuracy: null }, 10), /val/);
});

test('an epoch line shows whatever metrics the task reports, in record order', () => {
  const { train_accuracy: _t, val_accuracy: _v, ...rest } = record;
  const regression: EpochRecord = { ...rest, epoch: 3, train_loss: 0.5, train_mse: 0.5, train_r2: 0.25, val_loss: 0.75, val_mse: 0.75, val_r2: null };
  assert.match(formatEpochLine(regression, 10), /^epoch {2}3\/10 {2}train \(running\): loss 0\.5000 mse 0\.5000 r2 0\.2500 {2}val: loss 0\.7500 mse 0\.7500 r2 - {2}lr /);
});

test('without a terminal: exactly one line per epoch, no carriage returns', () => {
  const { chunks, stream } = sink(false);
  const r = defaultReporter(stream);
  r.onBatchEnd?.({ epoch: 3, epochs: 10, step: 1, stepsPerEpoch: 4, loss: 0.7 });
  r.onEpochEnd?.(record, 10);
  assert.deepEqual(chunks, [formatEpochLine(record, 10) + '\n']);
  assert.equal(lineReporter(stream).onBatchEnd, undefined);
});

test('the start line names the epochs this call runs, and the total when --stop-after cuts it short', () => {
  const { chunks, stream } = sink(false);
  const r = lineReporter(stream);
  r.onTrainStart?.({ name: 'demo', epochs: 50, firstEpoch: 11, lastEpoch: 50, stepsPerEpoch: 13, samples: 400 });
  r.onTrainStart?.({ name: 'demo', epochs: 50, firstEpoch: 11, lastEpoch: 14, stepsPerEpoch: 13, samples: 400 });
  assert.deepEqual(chunks, [
    'training demo: 400 samples, 13 steps per epoch, epochs 11..50\n',
    'training demo: 400 samples, 13 steps per epoch, epochs 11..14 of 50\n',
  ]);
});

test('on a terminal: a bar redrawn in place per batch, then the epoch line', () => {
  const { chunks, stream } = sink(true);
  const r = defaultReporter(stream);
  r.onTrainStart?.({ name: 'demo', epochs: 10, firstEpoch: 1, lastEpoch: 10, stepsPerEpoch: 4, samples: 100 });
  r.onBatchEnd?.({ epoch: 3, epochs: 10, step: 2, stepsPerEpoch: 4, loss: 0.7 });
  const clearLine = '\r\u001b[2K';
  assert.ok(chunks[0].startsWith(clearLine), 'chunks[0].startsWith(clearLine)');
  assert.match(chunks[0].slice(clearLine.length), /^demo epoch 3\/10 \[=+> +\] 2\/4 loss 0\.7000$/);
  const bar = /\[([= >]*)\]/.exec(chunks[0])![1];
  assert.equal(bar.length, 30);
  assert.equal(bar.trimEnd().length, 15); // half done
  r.onEpochEnd?.(record, 10);
  assert.ok(chunks[1].startsWith('\r\x1b[2Kdemo epoch  3/10') && chunks[1].endsWith('\n'), 'chunks[1].startsWith(\'\\r\\x1b[2Kdemo epoch 3/10\') && chunks[1].endsWith(\'\\n\')');
  // Redraws are throttled, except for an epoch's last step.
  const throttled = sink(true);
  const bar2 = ttyProgressBar(throttled.stream, 60_000);
  for (let step = 1; step <= 4; step++) bar2.onBatchEnd?.({ epoch: 1, epochs: 1, step, stepsPerEpoch: 4, loss: 1 });
  assert.equal(throttled.chunks.length, 2);
  assert.match(throttled.chunks[1], /4\/4/);
});
