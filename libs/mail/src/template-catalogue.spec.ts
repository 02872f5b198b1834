import { MAIL_TEMPLATE_NAMES, TEMPLATE_CATALOGUE } from './template-catalogue';
import { TEMPLATE_SAMPLES } from './template-samples';

describe('template catalogue', () => {
  it.each(MAIL_TEMPLATE_NAMES)('gives %s sample data for every variable it declares', (name) => {
    const { variables, required } = TEMPLATE_CATALOGUE[name];
    for (const variable of variables) {
      const value = variable
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], TEMPLATE_SAMPLES[name]);
      expect([variable, value]).not.toEqual([variable, undefined]);
    }
    for (const variable of required) expect(variables).toContain(variable);
  });

  it('names participants, places and people with Finnish and Swedish letters', () => {
    const text = JSON.stringify(TEMPLATE_SAMPLES).toLowerCase();
    for (const letter of ['ä', 'ö', 'å']) expect(text).toContain(letter);
  });
});
