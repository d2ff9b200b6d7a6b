// The built-in task a config's training section selects (training.task, default classification).

import type { LossKind } from '../losses.js';
import { classificationTask } from './classification.js';
import { regressionTask } from './regression.js';
import type { TrainingTask } from './task.js';

/** ranking: the reranker's task (models/reranker/task.ts), built with its model by the experiment, not here. */
export type TaskKind = 'classification' | 'regression' | 'ranking';

export interface TaskConfig {
  task?: TaskKind;
  loss?: LossKind;
  labelSmoothing?: number;
}

/** The task a training section selects; classification when it names none (so configs written before tasks keep their meaning). */
export function taskKindOf(config: Pick<TaskConfig, 'task'>): TaskKind {
  return config.task ?? 'classification';
}

export function taskFromConfig(config: TaskConfig): TrainingTask<never> {
  switch (taskKindOf(config)) {
    case 'classification':
      return classificationTask({ loss: config.loss, labelSmoothing: config.labelSmoothing }) as unknown as TrainingTask<never>;
    case 'regression':
      if ((config.labelSmoothing ?? 0) > 0) throw new Error('labelSmoothing applies to classification only; remove it for training.task: regression');
      return regressionTask({ loss: config.loss }) as unknown as TrainingTask<never>;
    case 'ranking':
      throw new Error('training.task ranking needs its model (model.reranker): the experiment builds it with rankingTask (models/reranker/task.ts)');
    default:
      throw new Error(`unknown training.task "${config.task as string}" (expected classification or regression)`);
  }
}
