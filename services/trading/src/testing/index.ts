export { listTestMarket, testMarketItem } from "./test-market.js";
