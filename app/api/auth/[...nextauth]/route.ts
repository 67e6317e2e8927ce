import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth-options";

// Public by design: this is the sign-in endpoint.
const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };
