// report.md says when --limit-batches cut the epochs, and only then.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../src/report/report-md.js';
import { limitedEpochsNote, type RunSummary } from '../../src/report/summary.js';

const summary = (extra: Partial<RunSummary>): RunSummary => ({
  name: 'r', test_accuracy: 0.5, test_loss: 0.7, val_accuracy: 0.5, val_loss: 0.7, train_accuracy: 0.5, train_loss: 0.7,
  params: { quantum: 0, classical: 3, total: 3 }, epochs: 1, epochs_configured: 1, stopped_early: false, best_epoch: 1,
  train_seconds: 1, seconds_per_epoch: 1, train_cpu_seconds: 1, quantum_seconds: 0, quantum_share: 0, limit_batches: null,
  wall_seconds: 1, resumed_from_epoch: null, seed: 1, backend: 'cpu', fingerprint: { model: 'm', config: 'c' }, ...extra,
});

test('limitedEpochsNote: a sentence when the limit cut the epoch, none otherwise', () => {
  assert.equal(limitedEpochsNote({ limit_batches: null }), undefined);
  assert.equal(limitedEpochsNote({ limit_batches: 3, batches_per_epoch: 3 }), undefined, 'the limit is the whole epoch');
  assert.equal(limitedEpochsNote({ limit_batches: 5, batches_per_epoch: 3 }), undefined);
  assert.equal(limitedEpochsNote({ limit_batches: 2, batches_per_epoch: 3 }), 'Epochs cut short: each trained on the first 2 of 3 batches only (--limit-batches / training.limitBatches).');
  assert.match(limitedEpochsNote({ limit_batches: 2 })!, /first 2 batches only/, 'an older summary without batches_per_epoch');
});

test('report.md carries the note of a limited run and not of a full one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-report-'));
  try {
    const history = [{ epoch: 1, loss: 0.7, accuracy: 0.5, val_loss: 0.7, val_accuracy: 0.5, seconds: 1, lr: 0.01 }];
    await writeReport({ runDir: dir, summary: summary({ limit_batches: 2, batches_per_epoch: 10 }), history: history as never });
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /^Epochs cut short: each trained on the first 2 of 10 batches only/m);
    await writeReport({ runDir: dir, summary: summary({}), history: history as never });
    assert.doesNotMatch(readFileSync(join(dir, 'report.md'), 'utf8'), /cut short/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
