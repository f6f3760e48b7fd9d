// Runs once per server process before it serves: validates the environment and migrates the database.
// In embedded mode the sync runner starts here too.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./server/startup');
  await startServer();
}
