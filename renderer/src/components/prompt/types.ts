/** What every prompt body gets: its prompt, whether an answer is on its way, answer and dismiss. */
import type { Prompt } from '../../../../preload/contract';
import type { PromptValue } from '../../store/prompts';

export type Of<K extends Prompt['kind']> = Extract<Prompt, { kind: K }>;

export interface BodyProps<K extends Prompt['kind']> {
  prompt: Of<K>;
  busy: boolean;
  answer(value: PromptValue): void;
  dismiss(): void;
}
