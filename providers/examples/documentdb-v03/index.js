/**
 * A migration provider in DocumentDB for VS Code's v0.3 shape, unchanged: it talks to the person only
 * through the VS Code API (`vscode.window…`), which Cutover's shim maps onto its UI and progress ports.
 * It prepares a migration checklist for the selected collection.
 */
import * as vscode from 'vscode';

const provider = {
  id: 'com.example.documentdb-v03',
  label: 'Migration checklist',
  description: 'Walks through a pre-migration checklist for the selected collection',
  requiresAuthentication: false,
  getLearnMoreUrl() {
    return 'https://example.com/migration-checklist';
  },
  async getAvailableActions(options) {
    return [
      {
        id: 'checklist',
        label: 'Prepare a checklist',
        description: options?.collectionName
          ? `for ${options.databaseName}.${options.collectionName}`
          : 'for the whole server',
      },
      { id: 'about', label: 'About this provider', requiresAuthentication: false },
    ];
  },
  async executeAction(options, id) {
    if (id === 'about') {
      await vscode.window.showInformationMessage('Migration checklist, a DocumentDB v0.3 provider running in Cutover.');
      return;
    }
    const target = await vscode.window.showQuickPick(
      ['Azure Cosmos DB for MongoDB (vCore)', 'MongoDB Atlas', 'Self-hosted MongoDB'],
      { placeHolder: 'Where will the data go?' },
    );
    if (!target) return;
    const owner = await vscode.window.showInputBox({
      prompt: 'Who signs off the cutover?',
      validateInput: (v) => (v.trim() ? undefined : 'A name, please'),
    });
    if (owner === undefined) return;
    const hasPassword = /:\/\/[^/@]*:[^/@]*@/.test(options?.connectionString ?? '');
    const steps = [
      'Freeze schema changes',
      'Snapshot indexes',
      `Check target: ${target}`,
      'Plan the write freeze',
      `Sign-off by ${owner}`,
    ];
    const finished = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Preparing the checklist', cancellable: true },
      async (progress, token) => {
        for (const step of steps) {
          if (token.isCancellationRequested) return false;
          progress.report({ message: step, increment: 100 / steps.length });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return true;
      },
    );
    if (!finished) {
      await vscode.window.showWarningMessage('Checklist stopped before the end.');
      return;
    }
    await vscode.window.showInformationMessage(
      `Checklist ready for ${options?.databaseName ?? 'the server'}${options?.collectionName ? `.${options.collectionName}` : ''} → ${target}.`,
      {
        modal: false,
        detail: hasPassword
          ? 'The connection string carried a password.'
          : 'The connection string carried no password.',
      },
    );
  },
};

export default provider;
