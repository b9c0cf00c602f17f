// Tells a test when a Redis command on one connection answered a certain way (a SET NX refused, a slot denied).
import type { SharedRedis } from '../../../src/scale/redis';

type Command = (...args: unknown[]) => Promise<unknown>;

/** Resolves the first time `command` answers as `isAnswer` says; the command itself runs unchanged. */
export function whenCommandAnswers(connection: SharedRedis, command: 'set' | 'eval', isAnswer: (answer: unknown) => boolean): Promise<void> {
  const commands = connection.commands as unknown as Record<typeof command, Command>;
  const original = commands[command].bind(connection.commands);
  return new Promise((resolve) => {
    const watch = jest.spyOn(commands, command).mockImplementation(async (...args: unknown[]) => {
      const answer = await original(...args);
      if (isAnswer(answer)) {
        watch.mockRestore();
        resolve();
      }
      return answer;
    });
  });
}
