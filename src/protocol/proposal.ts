import { z } from 'zod';
import { ValidationReport } from './reports';
import { RunLog, Verdict } from './runLog';

/** A validated, staged change: nothing is written until the user approves it. */
export const Proposal = z.object({
  id: z.string(),
  /** Absolute path of the file the proposal changes. */
  file: z.string(),
  /** sha256 (hex) of the exact base text the proposal was made from. */
  baseHash: z.string(),
  baseText: z.string(),
  newText: z.string(),
  verdict: Verdict,
  /** Errors and warnings the proposal still has (those the run is accountable for). */
  reports: z.array(ValidationReport),
  runLog: RunLog,
  createdAt: z.number(),
});
export type Proposal = z.infer<typeof Proposal>;
