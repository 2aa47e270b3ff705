import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import * as api from './index.js';

describe('the package entry point', () => {
  it('exports every error class the library throws', () => {
    const errorClasses = Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    );
    expect(errorClasses.length).toBeGreaterThan(8);
    for (const [name, value] of errorClasses) expect(api, name).toHaveProperty(name, value);
  });
});
