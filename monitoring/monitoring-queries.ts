/**
 * Every PromQL expression the monitoring uses (alert rules and dashboard panels), and the metric
 * names and label names each one selects, read with Prometheus's own PromQL grammar.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export const monitoringDir = import.meta.dirname;
export const rulesDir = join(monitoringDir, 'prometheus/rules');
export const dashboardsDir = join(monitoringDir, 'grafana/dashboards');

export interface MonitoringQuery {
  /** Where the expression comes from, for failure messages. */
  source: string;
  expr: string;
}

export interface Selector {
  metric: string;
  /** Label names the selector matches on. */
  labels: string[];
  /** The value of a `job="…"` matcher, if any. */
  job?: string;
}

/** Grafana's interval variables, replaced by a duration so the expression parses as PromQL. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
}

/**
 * The metric selectors of a PromQL expression (`rate(x{a="b"}[5m])` selects `x` on `a`).
 * Throws naming the position when the expression does not parse.
 */
export function selectorsOf(expr: string): Selector[] {
  const tree = parser.parse(expr);
  const selectors: Selector[] = [];
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError) error ??= node.from;
      if (node.name !== 'VectorSelector') return;
      const metric = node.node.getChild('Identifier');
      const labels: string[] = [];
      let job: string | undefined;
      const matchers = node.node.getChild('LabelMatchers');
      for (const matcher of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = matcher.getChild('LabelName');
        if (!name) continue;
        labels.push(expr.slice(name.from, name.to));
        const value = matcher.getChild('StringLiteral');
        if (labels.at(-1) === 'job' && matcher.getChild('MatchOp')?.getChild('EqlSingle') && value) {
          job = JSON.parse(expr.slice(value.from, value.to)) as string;
        }
      }
      if (metric)
        selectors.push({ metric: expr.slice(metric.from, metric.to), labels, ...(job ? { job } : {}) });
    },
  });
  if (error !== undefined) {
    throw new Error(`PromQL does not parse at ${error}: ${expr.slice(0, error)} ⟨here⟩ ${expr.slice(error)}`);
  }
  return selectors;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** The expression of every alerting and recording rule in monitoring/prometheus/rules. */
export function ruleQueries(): MonitoringQuery[] {
  return readdirSync(rulesDir)
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) => {
      const rules = parseYaml(readFileSync(join(rulesDir, file), 'utf8')) as RuleFile;
      return rules.groups.flatMap((group) =>
        group.rules.map((rule) => ({
          source: `rules/${file} ${rule.alert ?? rule.record}`,
          expr: String(rule.expr).trim(),
        })),
      );
    });
}

interface DashboardFile {
  title: string;
  panels: { title: string; targets?: { expr: string }[] }[];
}

/** The query of every panel of the dashboard files, Grafana's variables replaced. */
export function dashboardQueries(): MonitoringQuery[] {
  return readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as DashboardFile;
      return dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          source: `${file} "${panel.title}"`,
          expr: withoutGrafanaVariables(target.expr),
        })),
      );
    });
}

/**
 * The number an alert rule's expression ends by comparing with (`… > 100`): a panel coloured at
 * the value its alert fires at reads it here, so the threshold is written once, in the rule.
 */
export function alertThreshold(alert: string): number {
  const rule = ruleQueries().find((query) => query.source.endsWith(` ${alert}`));
  const match = rule ? /[<>]=?\s*(\d+(?:\.\d+)?)$/.exec(rule.expr) : null;
  if (!match) throw new Error(`${alert}: no alert rule whose expression ends in a comparison with a number`);
  return Number(match[1]);
}
