// positive: live key (critical) and test key (low)
const live = "@@STRIPE_LIVE@@";
const test = "@@STRIPE_TEST@@";
// negative: publishable keys are public
const pub = "pk_live_51Hq2zZAbCdEfGhIjKlMnOp";
