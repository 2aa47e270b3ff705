import { DEMO_FAILURES, DEMO_FORMATS, type DemoFailure, type DemoFormat, type DemoSettings } from './demo-settings';

/** Props of {@link DemoPanel}. */
export interface DemoPanelProps {
  readonly settings: DemoSettings;
  readonly onChange: (settings: DemoSettings) => void;
}

/**
 * Picks the wire format and the failure the example server is asked for; the hint under it says
 * what the chosen failure shows. A change applies to the next send (a reply in flight keeps its own).
 */
export function DemoPanel({ settings, onChange }: DemoPanelProps) {
  const hint = DEMO_FAILURES.find((failure) => failure.value === settings.failure)?.hint;
  return (
    <fieldset className="demo-panel">
      <legend className="demo-panel__legend">Demo server</legend>
      <label className="demo-panel__field">
        Format
        <select
          value={settings.format}
          onChange={(event) => onChange({ ...settings, format: event.target.value as DemoFormat })}
        >
          {DEMO_FORMATS.map(({ value, label }) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="demo-panel__field">
        Failure
        <select
          value={settings.failure}
          onChange={(event) => onChange({ ...settings, failure: event.target.value as DemoFailure })}
        >
          {DEMO_FAILURES.map(({ value, label }) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p className="demo-panel__hint">
        {hint} In either format, a prompt with “error” gets a mid-stream error; in the OpenAI-compatible
        one, a prompt with “weather” or “tool” gets reasoning and a tool call.
      </p>
    </fieldset>
  );
}
