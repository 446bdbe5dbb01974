// The Shopify and Gorgias twins for the benchmark, in a process of their own: the service reaches them over loopback
// (its caller prefetch queries Shopify on every call) without their GraphQL work stalling the measuring process.
// Prints one JSON line with their addresses and credentials, then serves until SIGTERM.
import { startGorgiasTwin } from '../../src/twins/gorgias/gorgias-twin.ts';
import { startShopifyTwin } from '../../src/twins/shopify/shopify-twin.ts';

type OutsideTwinsAddress = {
  shopify: { url: string; shopDomain: string; apiVersion: string; adminToken: string };
  gorgias: { apiUrl: string; email: string; apiKey: string; botUserId: number };
};

const shopify = await startShopifyTwin();
const gorgias = await startGorgiasTwin();
const address: OutsideTwinsAddress = {
  shopify: { url: shopify.url, shopDomain: shopify.shopDomain, apiVersion: shopify.apiVersion, adminToken: shopify.adminToken },
  gorgias: { apiUrl: gorgias.apiUrl, email: gorgias.credentials.email, apiKey: gorgias.credentials.apiKey, botUserId: gorgias.botUserId },
};
process.stdout.write(`${JSON.stringify({ outsideTwins: address })}\n`);

process.once('SIGTERM', () => {
  void Promise.all([shopify.close(), gorgias.close()]).finally(() => process.exit(0));
});
