import type { ParsedRunParams } from '../../protocol/agentProtocol';
import { createJsValidators } from '../validators/jsValidators';
import { createPythonValidators } from '../validators/python/pythonValidators';
import { isTypeScriptLike } from '../validators/typescript/typescriptValidator';
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
    extraValidation: (file, params, projectDir) => {
      if (isPython(file)) return pythonValidation(params);
      if (!isTypeScriptLike(file)) return {};
      // ESLint (when the project has a config) on every candidate; the project's tests on clean ones.
      return createJsValidators({
        projectDir,
        workspaceRoot: params.workspaceRoot,
        trusted: params.trusted,
        eslint: params.settings.validators.eslint,
        tests: params.settings.validators.tests,
        testCommand: params.settings.testCommand,
        timeoutMs: Math.min(params.settings.timeoutMs, 120_000),
      });
    },
  };
}
