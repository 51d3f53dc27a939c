export const config = {
  smtp: {
    host: "smtp.mail.example",
    port: 587,
    user: "notifications",
    password: "Hn4$wQ8z!Lp2Rv6t",
  },
};
