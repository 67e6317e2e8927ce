"use client";

/** A labelled drop-down over a list of `{ id, label }` choices. */
export function SelectField(props: {
  label: string;
  value: string;
  options: readonly { id: string; label: string }[];
  onChange: (value: string) => void;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <label className="flex items-center gap-2">
      <span className="text-ink-500">{props.label}</span>
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        className="rounded border border-room-600 bg-room-800 px-2 py-0.5"
        data-testid={props.testId}
      >
        {props.options.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </select>
    </label>
  );
}
