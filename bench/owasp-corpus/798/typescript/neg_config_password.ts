export const config = {
  smtp: {
    host: "smtp.mail.example",
    port: 587,
    user: "notifications",
    password: process.env.SMTP_PASSWORD ?? "",
  },
};
