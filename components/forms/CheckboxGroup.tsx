"use client";

import type { ReactNode } from "react";

export interface CheckboxOption {
  value: string;
  label?: ReactNode;
  /** hover text */
  title?: string;
  testId?: string;
}

/** Adds or removes one value, keeping the order in which values were chosen. */
export function toggleValue(list: string[], value: string, on: boolean): string[] {
  return on ? (list.includes(value) ? list : [...list, value]) : list.filter((x) => x !== value);
}

/**
 * A labelled group of checkboxes over a list of chosen values (forms that choose several of a few options). `inline`
 * puts the label on the row before the boxes; otherwise it is the group's legend. `testIdPrefix` gives each box the
 * test id `${prefix}${value}` unless the option names its own.
 */
export function CheckboxGroup(props: {
  label?: ReactNode;
  options: CheckboxOption[];
  selected: string[];
  onChange: (next: string[]) => void;
  className?: string;
  labelClassName?: string;
  inline?: boolean;
  testIdPrefix?: string;
}) {
  const boxes = props.options.map((o) => (
    <label key={o.value} className="flex items-center gap-1" title={o.title}>
      <input
        type="checkbox"
        checked={props.selected.includes(o.value)}
        onChange={(ev) => props.onChange(toggleValue(props.selected, o.value, ev.target.checked))}
        data-testid={o.testId ?? (props.testIdPrefix ? `${props.testIdPrefix}${o.value}` : undefined)}
      />
      {o.label}
    </label>
  ));
  if (props.inline)
    return (
      <div className={props.className ?? "flex flex-wrap items-center gap-3"}>
        {props.label && <span className={props.labelClassName ?? "text-ink-500"}>{props.label}</span>}
        {boxes}
      </div>
    );
  return (
    <fieldset className={props.className ?? "flex flex-wrap gap-3"}>
      <legend className={props.labelClassName ?? "text-ink-500"}>{props.label}</legend>
      {boxes}
    </fieldset>
  );
}
