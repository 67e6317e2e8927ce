/** How a model is named wherever a number is shown: a demo model always by the one demo label, never by its title. */
export const DEMO_LABEL = "demo model, synthetic data, not for clinical use";

export function modelLabel(isDemo: boolean, name: string): string {
  return isDemo ? DEMO_LABEL : name;
}
