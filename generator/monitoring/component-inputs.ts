import type { StackConfig } from '../model/stack.js';
import type { PrometheusMonitoring, RulerMonitoring } from '../lib/prometheus-config.js';
import { prometheusAlerting, rulerAlertmanagersConfig } from './alerting.js';
import { prometheusRuleFiles, ruleFileData, rulerRuleFiles } from './rules/index.js';
import { scrapeConfigs } from './scrape.js';

/**
 * What monitoring gives the components, one function per component that takes it. build-stack.ts
 * calls these and passes the results in: components build objects, monitoring decides what they
 * scrape, evaluate and alert to, and neither imports the other.
 */
export function prometheusMonitoring(stack: StackConfig): PrometheusMonitoring {
  return { scrapeConfigs: scrapeConfigs(stack), alerting: prometheusAlerting(stack), ruleFiles: ruleFileData(prometheusRuleFiles(stack)) };
}

export function rulerMonitoring(stack: StackConfig): RulerMonitoring {
  return { ruleFiles: ruleFileData(rulerRuleFiles(stack)), alertmanagersConfig: rulerAlertmanagersConfig(stack) };
}
