// The test run's fixed clock (WIJKTEAM_TEST_NOW, see e2e/clock.py): when the test fixture passes
// the moment it is at, the provider's clock runs on from that same moment, so its tokens and
// cookies are dated on the clock of the tests. Imported first by provider.mjs, before any library.
const start = process.env.WIJKTEAM_TEST_NOW;
if (start) {
  const RealDate = Date;
  const offset = RealDate.parse(start) - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }

    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
