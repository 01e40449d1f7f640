import { tool } from '@langchain/core/tools';
import { z } from 'zod';

/** A tool the examples call: the weather of a city (made up, like everything on the mock). */
export const getWeather = tool(async ({ city }) => `Sunny and 21 °C in ${city}`, {
  name: 'get_weather',
  description: 'The current weather in a city.',
  schema: z.object({ city: z.string().describe('The city') }),
});
