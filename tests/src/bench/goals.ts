/**
 * Goals live with their suite (each suite module exports GOALS); this module judges a figure against its
 * goal and against its baseline: another figure of the same suite, measured in the same run.
 */
import type { Figure } from './main.js';

/** Every bound given must hold. `against` names the baseline figure the ratio bounds compare to. */
export interface Goal {
  max?: number;
  min?: number;
  ratioMax?: number;
  ratioMin?: number;
  against?: string;
}

/**
 * A suite's goals by figure name. A key ending in `*` covers every figure with that prefix, and a `*` in its
 * `against` stands for the same suffix (`pipeline_events_per_s_*` against `transport_only_events_per_s_*`).
 */
export type SuiteGoals = Record<string, Goal>;

export interface JudgedFigure extends Figure {
  suite: string;
  baselineValue?: number;
  ratio?: number;
  met?: boolean;
}

export function goalFor(figure: Figure, goals: SuiteGoals | undefined): Goal | undefined {
  if (figure.goal) return figure.goal;
  if (!goals) return undefined;
  if (goals[figure.name]) return goals[figure.name];
  for (const [key, goal] of Object.entries(goals)) {
    if (!key.endsWith('*') || !figure.name.startsWith(key.slice(0, -1))) continue;
    const suffix = figure.name.slice(key.length - 1);
    return goal.against ? { ...goal, against: goal.against.replace('*', suffix) } : goal;
  }
  return undefined;
}

export function judge(suite: string, figures: readonly Figure[], goals: SuiteGoals | undefined): JudgedFigure[] {
  const byName = new Map(figures.map((f) => [f.name, f]));
  return figures.map((figure) => {
    const goal = goalFor(figure, goals);
    const baselineName = goal?.against ?? figure.baseline;
    const baselineValue = baselineName === undefined ? undefined : byName.get(baselineName)?.value;
    const ratio = baselineValue === undefined || baselineValue === 0 ? undefined : figure.value / baselineValue;
    const judged: JudgedFigure = { ...figure, suite, ...(goal ? { goal } : {}), ...(baselineName ? { baseline: baselineName } : {}), ...(baselineValue !== undefined ? { baselineValue } : {}), ...(ratio !== undefined ? { ratio } : {}) };
    // A goal with only `against` names a baseline to compare to, without judging.
    if (goal && [goal.max, goal.min, goal.ratioMax, goal.ratioMin].some((b) => b !== undefined)) judged.met = goalMet(goal, figure.value, ratio);
    return judged;
  });
}

function goalMet(goal: Goal, value: number, ratio: number | undefined): boolean {
  if (!Number.isFinite(value)) return false;
  if (goal.max !== undefined && !(value <= goal.max)) return false;
  if (goal.min !== undefined && !(value >= goal.min)) return false;
  // A ratio goal whose baseline is missing in this run is not met: it could not be checked.
  if ((goal.ratioMax !== undefined || goal.ratioMin !== undefined) && ratio === undefined) return false;
  if (goal.ratioMax !== undefined && !(ratio! <= goal.ratioMax)) return false;
  if (goal.ratioMin !== undefined && !(ratio! >= goal.ratioMin)) return false;
  return true;
}

/** The goal in a few characters: "≤ 250", "≤ 1.5 × frame_ms_empty". */
export function describeGoal(goal: Goal | undefined): string {
  if (!goal) return '';
  const parts: string[] = [];
  if (goal.max !== undefined) parts.push(`≤ ${format(goal.max)}`);
  if (goal.min !== undefined) parts.push(`≥ ${format(goal.min)}`);
  if (goal.ratioMax !== undefined) parts.push(`≤ ${format(goal.ratioMax)} ×`);
  if (goal.ratioMin !== undefined) parts.push(`≥ ${format(goal.ratioMin)} ×`);
  return parts.join(', ');
}

export function format(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
}
