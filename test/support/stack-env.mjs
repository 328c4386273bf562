// Where the test harness's Prosody runs. test/run-all.mjs starts it; every test process reads this.
import { createStack } from '../../server/devstack.mjs';

export const testStack = () => createStack({
  dir: process.env.CC_TEST_DIR ?? '.runtime/test',
  httpPort: Number(process.env.CC_TEST_HTTP_PORT ?? 25280),
  c2sPort: Number(process.env.CC_TEST_C2S_PORT ?? 25222),
  componentPort: Number(process.env.CC_TEST_COMPONENT_PORT ?? 25347),
  turnPort: Number(process.env.CC_TEST_TURN_PORT ?? 25478),
  quiet: true,
});
