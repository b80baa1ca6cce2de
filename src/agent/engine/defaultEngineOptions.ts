import type { ParsedRunParams } from '../../protocol/agentProtocol';
import { createPythonValidators } from '../validators/python/pythonValidators';
import type { Engine } from './engine';
import { isPython } from './findSymbol';
import { createModelStage } from './modelStage';
import type { ValidationSet } from './validationSet';

/** Python's checks for one run: pyright and Ruff on every candidate, pytest only on clean ones. */
function pythonValidation(params: ParsedRunParams): Partial<ValidationSet> {
  if (!params.settings.validators.python) return {};
  const { validators, fixers } = createPythonValidators({
    testsEnabled: params.settings.validators.tests,
    trusted: params.trusted,
    timeoutMs: Math.min(params.settings.timeoutMs, 120_000),
  });
  return {
    validators: validators.filter((v) => v.tool !== 'pytest'),
    slowValidators: validators.filter((v) => v.tool === 'pytest'),
    fixers,
  };
}

/** The validators, fixers and model stages a production engine runs with. */
export function defaultEngineOptions(): ConstructorParameters<typeof Engine>[0] {
  return {
    modelStage: createModelStage(),
    extraValidation: (file, params) => (isPython(file) ? pythonValidation(params) : {}),
  };
}
