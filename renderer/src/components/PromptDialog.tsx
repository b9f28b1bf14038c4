/** Provider prompts (components/prompt/): the modal host, the planning panel, and which prompt is modal. */
export { PromptHost, PromptPanel, useModalPrompt } from './prompt/PromptDialog';
