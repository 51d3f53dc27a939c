// positive: project key with the T3BlbkFJ marker
const openai = new OpenAI({ apiKey: "@@OPENAI@@" });
// negative: no marker, not the OpenAI format
const other = "sk-proj-notakeyatall";
